// Package console embeds the built agent console (web/console/dist) into the kefu binary.
package console

import "embed"

// Dist holds the built console; build it with `npm run build` in web/console.
//
//go:embed all:dist
var Dist embed.FS
