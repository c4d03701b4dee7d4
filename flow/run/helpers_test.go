package run_test

import (
	"bytes"
	"io"
	"strconv"

	"github.com/oobe-emu/oobe/flow/answers"
)

type answersFile = answers.File

// memFiles keeps the files a run writes in memory.
type memFiles struct{ written []string }

type memFile struct {
	bytes.Buffer
	m *memFiles
}

func (f *memFile) Close() error {
	f.m.written = append(f.m.written, f.String())
	return nil
}

func (m *memFiles) Create(prefix, ext string) (io.WriteCloser, string, error) {
	return &memFile{m: m}, prefix + "-" + strconv.Itoa(len(m.written)+1) + ext, nil
}
