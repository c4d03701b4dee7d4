package logo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
)

// MaxDimension is the largest width and height, in pixels, that [Decode] accepts.
const MaxDimension = 4096

// ErrTooLarge is wrapped by the error [Decode] returns for an image wider or taller than
// [MaxDimension].
var ErrTooLarge = errors.New("image too large")

// Decode reads a PNG image. It checks the size in the header before decoding the pixels and
// rejects an image wider or taller than MaxDimension with an error that names its size and
// wraps [ErrTooLarge]. Input that is not a PNG image gives an error that says so.
func Decode(r io.Reader) (image.Image, error) {
	var head bytes.Buffer
	cfg, err := png.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return nil, fmt.Errorf("logo: not a PNG image: %w", err)
	}
	if cfg.Width > MaxDimension || cfg.Height > MaxDimension {
		return nil, fmt.Errorf("logo: PNG image is %dx%d pixels, larger than the %dx%d limit: %w",
			cfg.Width, cfg.Height, MaxDimension, MaxDimension, ErrTooLarge)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return nil, fmt.Errorf("logo: PNG image is %dx%d pixels: empty", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(io.MultiReader(&head, r))
	if err != nil {
		return nil, fmt.Errorf("logo: reading PNG image: %w", err)
	}
	return img, nil
}
