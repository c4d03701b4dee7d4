// Package flow is the domain of the emulator: the deployment profile model, the step graph
// that decides which OOBE screens show and in which order, the session with the user's
// answers, the Backend interface with its events, and the run record. It never imports UI
// packages.
package flow
