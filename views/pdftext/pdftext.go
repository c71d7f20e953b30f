// Package pdftext reads the text back out of the PDFs the report writes,
// so tests can check a PDF's words without a PDF tool on the machine. It
// understands what fpdf writes with its core fonts: content streams,
// plain or Flate-compressed, whose strings are shown with Tj in
// Windows-1252. It is not a general PDF reader.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Text returns the strings the PDF's content streams show, one per line,
// in the order they are drawn.
func Text(pdf []byte) (string, error) {
	// Each stream with the dictionary before it.
	streamRe := regexp.MustCompile(`(?s)<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream`)
	var out strings.Builder
	for _, m := range streamRe.FindAllSubmatch(pdf, -1) {
		dict, data := m[1], m[2]
		if bytes.Contains(dict, []byte("/Subtype")) || bytes.Contains(dict, []byte("/Length1")) {
			continue // an image or an embedded font, not a page
		}
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return "", fmt.Errorf("pdftext: inflate: %w", err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				return "", fmt.Errorf("pdftext: inflate: %w", err)
			}
		}
		for _, s := range shown(data) {
			dec, err := charmap.Windows1252.NewDecoder().Bytes(s)
			if err != nil {
				return "", fmt.Errorf("pdftext: decode: %w", err)
			}
			out.Write(dec)
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}

// shown returns the operands of each "(...) Tj" in a content stream,
// unescaped.
func shown(content []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(content) && depth > 0; j++ {
			c := content[j]
			switch {
			case c == '\\' && j+1 < len(content):
				j++
				switch e := content[j]; e {
				case 'n':
					s = append(s, '\n')
				case 'r':
					s = append(s, '\r')
				case 't':
					s = append(s, '\t')
				default:
					s = append(s, e)
				}
			case c == '(':
				depth++
				s = append(s, c)
			case c == ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		rest := bytes.TrimLeft(content[j:], " \t\r\n")
		if bytes.HasPrefix(rest, []byte("Tj")) {
			out = append(out, s)
		}
		i = j - 1
	}
	return out
}
