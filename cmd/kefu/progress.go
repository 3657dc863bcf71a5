package main

import (
	"fmt"
	"io"
	"strings"
)

// progressBar draws done of total as a bar on one terminal line, redrawn
// in place: [##########----------]  50%  what.
func progressBar(w io.Writer, done, total int64, what string) {
	const width = 30
	share := 1.0
	if total > 0 {
		share = min(1, float64(done)/float64(total))
	}
	filled := int(share * width)
	fmt.Fprintf(w, "\r[%s%s] %3.0f%%  %s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), share*100, what)
}
