package views

import (
	"fmt"
	"strings"
)

// Language is one language of the candidate pages.
type Language struct {
	// Tag is the BCP 47 tag, as in <html lang> and Accept-Language.
	Tag string
	// Name is the language's name in itself, as the switcher shows it.
	Name string
}

// DefaultLanguage is the language of every message and of the
// instruments' own text: the fallback for anything not translated.
const DefaultLanguage = "en"

// Languages lists the candidate pages' languages, the default first.
func Languages() []Language {
	return []Language{{Tag: "en", Name: "English"}, {Tag: "es", Name: "Español"}}
}

// SupportedLanguage returns the supported tag for a tag such as "es-MX"
// or "ES", and false when the pages do not speak it.
func SupportedLanguage(tag string) (string, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	for _, l := range Languages() {
		if l.Tag == base {
			return l.Tag, true
		}
	}
	return "", false
}

// Translate is the candidate pages' message key in a language, with args
// put in as fmt does. A key the language lacks falls back to English, so
// a half-done translation still shows every page whole.
func Translate(lang, key string, args ...any) string {
	msg, ok := catalogue(lang)[key]
	if !ok {
		msg, ok = englishMessages()[key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// catalogue is a language's messages; an unknown language has none.
func catalogue(lang string) map[string]string {
	switch lang {
	case "es":
		return spanishMessages()
	case "en":
		return englishMessages()
	}
	return nil
}
