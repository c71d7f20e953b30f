package pdftext_test

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/views/pdftext"
)

func TestText(t *testing.T) {
	content := "BT 10 10 Td (Score \\(fit\\) 86.7) Tj ET\nBT 10 20 Td (a\\\\b) Tj ET\n(not shown) Tw\nBT 1 1 Td (Zo\xeb \x96 49 s)Tj ET"
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, err := zw.Write([]byte(content))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	tests := map[string]string{
		"plain":      "<< /Length 1 >>\nstream\n" + content + "\nendstream",
		"compressed": "<< /Filter /FlateDecode /Length 1 >>\nstream\n" + z.String() + "\nendstream",
	}
	for name, pdf := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := pdftext.Text([]byte("%PDF-1.3\n" + pdf + "\n<< /Length1 3 >>\nstream\n(font) Tj\nendstream\n"))
			require.NoError(t, err)
			assert.Equal(t, "Score (fit) 86.7\na\\b\nZoë – 49 s\n", got, "escapes undone, cp1252 decoded, fonts and other operators skipped")
		})
	}
}
