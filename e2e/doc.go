// Package e2e drives the built console in a real Chromium against a real
// kefu server, the way an admin uses it.
package e2e
