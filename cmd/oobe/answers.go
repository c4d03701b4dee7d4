package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow/answers"
)

// answersConfig is the answers files part of the command line.
type answersConfig struct {
	answers, writeAnswers string
	answersDelay          time.Duration
	force                 bool
	secretsAnywhere       bool
}

// defaultAnswersDelay is the pause before each replayed action: slow enough to follow.
const defaultAnswersDelay = 1200 * time.Millisecond

func addAnswersFlags(fs *flag.FlagSet, cfg *answersConfig) {
	fs.StringVar(&cfg.answers, "answers", "", "replay the answers in `FILE`: answered pages advance by themselves, the others wait for you (secrets come from the variables or files it names)")
	fs.StringVar(&cfg.writeAnswers, "write-answers", "", "write the run's answers to `FILE` when it ends (on the desktop or on quit); never a password or PIN, only where a replay reads them from")
	fs.BoolVar(&cfg.force, "force", false, "let --write-answers replace an existing file (without it, an existing file is kept and the answers go to NAME.1.json, NAME.2.json…)")
	fs.DurationVar(&cfg.answersDelay, "answers-delay", defaultAnswersDelay, "pause before each replayed action, e.g. 800ms or 2s (0: no pause)")
	fs.BoolVar(&cfg.secretsAnywhere, "answers-secrets-anywhere", false, "let --answers read secret files outside its folder (default: only files inside the answers file's folder, reached without .. or a symbolic link leading out)")
}

// checkAnswersFlags rejects bad values of the answers flags (a usage error, exit code 2).
func checkAnswersFlags(cfg answersConfig) error {
	if cfg.answersDelay < 0 {
		return usageError{fmt.Sprintf("--answers-delay must not be negative, got %v", cfg.answersDelay)}
	}
	if cfg.writeAnswers != "" {
		dir := filepath.Dir(cfg.writeAnswers)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usageError{fmt.Sprintf("--write-answers %q: directory %q does not exist", cfg.writeAnswers, dir)}
		}
		if st, err := os.Stat(cfg.writeAnswers); err == nil && st.IsDir() {
			return usageError{fmt.Sprintf("--write-answers %q is a directory", cfg.writeAnswers)}
		}
	}
	return nil
}

// loadAnswers reads and resolves --answers before anything is drawn: a problem is one line on
// stderr and exit code 1 (ok is false).
func loadAnswers(cfg answersConfig, getenv func(string) string, stderr io.Writer) (*answers.Script, bool) {
	if cfg.answers == "" {
		return nil, true
	}
	s, err := answers.LoadWith(cfg.answers, answers.Options{Getenv: getenv, SecretsAnywhere: cfg.secretsAnywhere})
	if err != nil {
		fmt.Fprintf(stderr, "oobe: --answers: %v\n", err)
		return nil, false
	}
	return s, true
}
