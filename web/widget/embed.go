// Package widget embeds the built customer chat widget (web/widget/dist) and the demo shop page.
package widget

import "embed"

// Dist holds widget.js; build it with `npm run build` in web/widget.
//
//go:embed all:dist
var Dist embed.FS

// DemoShop is the demo product page served at /demo/shop.
//
//go:embed demo/shop.html
var DemoShop []byte
