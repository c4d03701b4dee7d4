// Package flow is the domain of the emulator: the deployment profile model, the step graph
// that decides which OOBE screens show and in which order, the session with the user's
// answers, the Backend interface with its events (updates, sign-in and MFA, enrollment, the
// Enrollment Status Page), the ESP model the UI renders, the device name, PIN and privacy
// rules, and the run record. It never imports UI packages.
package flow
