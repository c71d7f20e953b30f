package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// setting is one configuration value: a flag, its environment variable and
// its default. The README's configuration table is checked against these.
type setting struct {
	flag    string
	env     string
	usage   string
	value   flag.Value
	defText string // the default as the README and --help show it
}

type stringValue struct{ p *string }

func (v stringValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}
func (v stringValue) Set(s string) error { *v.p = s; return nil }

type boolValue struct{ p *bool }

func (v boolValue) String() string {
	if v.p == nil {
		return "false"
	}
	return strconv.FormatBool(*v.p)
}
func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	*v.p = b
	return nil
}
func (v boolValue) IsBoolFlag() bool { return true }

type durationValue struct{ p *time.Duration }

func (v durationValue) String() string {
	if v.p == nil {
		return "0s"
	}
	return v.p.String()
}
func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 20s or 1m")
	}
	*v.p = d
	return nil
}

// flagSet registers settings on a FlagSet so that the environment fills
// them first and flags override the environment.
type flagSet struct {
	fs       *flag.FlagSet
	settings []setting
	getenv   func(string) string
	usage    string
}

func newFlagSet(name, usage string, getenv func(string) string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &flagSet{fs: fs, getenv: getenv, usage: usage}
	fs.Usage = func() { f.printUsage(stderr) }
	return f
}

func (f *flagSet) add(s setting) {
	if s.defText == "" {
		s.defText = s.value.String()
	}
	f.settings = append(f.settings, s)
	f.fs.Var(s.value, s.flag, s.usage)
}

func (f *flagSet) String(p *string, name, env, def, usage string) {
	*p = def
	f.add(setting{flag: name, env: env, usage: usage, value: stringValue{p}})
}

func (f *flagSet) Bool(p *bool, name, env string, def bool, usage string) {
	*p = def
	f.add(setting{flag: name, env: env, usage: usage, value: boolValue{p}})
}

func (f *flagSet) Duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	*p = def
	f.add(setting{flag: name, env: env, usage: usage, value: durationValue{p}})
}

func (f *flagSet) Int(p *int, name, env string, def int, usage string) {
	*p = def
	f.add(setting{flag: name, env: env, usage: usage, value: intValue{p}})
}

// parse applies the environment, then the flags. It returns flag.ErrHelp,
// after printing the usage, for -h and --help.
func (f *flagSet) parse(args []string) error {
	for _, s := range f.settings {
		if s.env == "" {
			continue
		}
		if v, ok := lookup(f.getenv, s.env); ok {
			if err := s.value.Set(v); err != nil {
				return fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
	}
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return flag.ErrHelp // flag has already printed the usage
		}
		return fmt.Errorf("%w (see: jobcannon %s --help)", err, f.fs.Name())
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see: jobcannon %s --help)", f.fs.Arg(0), f.fs.Name())
	}
	return nil
}

// isSet reports whether a setting was given by flag or environment.
func (f *flagSet) isSet(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	for _, s := range f.settings {
		if s.flag == name && s.env != "" {
			if _, ok := lookup(f.getenv, s.env); ok {
				set = true
			}
		}
	}
	return set
}

func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func (f *flagSet) printUsage(w io.Writer) {
	fmt.Fprintln(w, strings.TrimSpace(f.usage))
	if len(f.settings) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags (each can also be set by its environment variable; a flag wins):")
	for _, s := range f.settings {
		name := "--" + s.flag
		if _, ok := s.value.(boolValue); !ok {
			name += " value"
		}
		fmt.Fprintf(w, "  %s\n      %s\n", name, s.usage)
		var meta []string
		if s.env != "" {
			meta = append(meta, "env "+s.env)
		}
		if s.defText != "" {
			meta = append(meta, "default "+s.defText)
		}
		if len(meta) > 0 {
			fmt.Fprintf(w, "      (%s)\n", strings.Join(meta, ", "))
		}
	}
}
