// Package static embeds the CSS, the pages' scripts, the vendored
// htmx and the images, and names each file by its content hash so browsers
// may cache it for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed *.css *.js vendor img
var embedded embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// File is one asset ready to serve.
type File struct {
	Data        []byte
	ContentType string
	ETag        string
	// Immutable is true when the URL named the content hash, so the
	// response may be cached for good.
	Immutable bool
}

// Assets maps logical names ("app.css") to hashed URLs and back.
type Assets struct {
	files  map[string]File   // logical name → file
	hashed map[string]string // hashed name → logical name
	urls   map[string]string // logical name → URL
}

// New hashes every embedded file once, at start.
func New() (*Assets, error) {
	return load(embedded)
}

func load(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]File{}, hashed: map[string]string{}, urls: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashedName := strings.TrimSuffix(name, ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[name] = File{Data: data, ContentType: ctype, ETag: `"` + hash + `"`}
		a.hashed[hashedName] = name
		a.urls[name] = Prefix + hashedName
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of a logical asset name. An unknown name
// panics: it is a programming error that every page test would catch.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("static: no asset named " + name)
	}
	return u
}

// Lookup finds the file for a path below Prefix, hashed or not.
func (a *Assets) Lookup(name string) (File, bool) {
	if logical, ok := a.hashed[name]; ok {
		f := a.files[logical]
		f.Immutable = true
		return f, true
	}
	f, ok := a.files[name]
	return f, ok
}
