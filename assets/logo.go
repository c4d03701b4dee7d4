package assets

import _ "embed" // for the square logos

// squareLogo and squareLogoDark are the demo tenant's organizationalBranding squareLogo
// and squareLogoDark: 240×240 PNG images with a transparent background.
var (
	//go:embed tenant/square-logo.png
	squareLogo []byte
	//go:embed tenant/square-logo-dark.png
	squareLogoDark []byte
)

// SquareLogo returns the demo tenant's square logo as PNG data (decode it with logo.Decode):
// the variant for dark backgrounds (Graph's squareLogoDark) when dark is true, otherwise the
// one for light backgrounds (squareLogo). The slice is shared: do not modify it.
func SquareLogo(dark bool) []byte {
	if dark {
		return squareLogoDark
	}
	return squareLogo
}
