// Package e2e holds the end-to-end reliability and security tests of the SDK
// and the bundled reference agent-server: crash safety under SIGKILL, two
// processes sharing one data directory, load without leaks, hostile input,
// authentication of every route, no secret in any log or error, a wrong
// encryption key never losing data, and client behaviour under transport
// faults. GUARANTEES.md lists each promise with the test that proves it.
//
// The package has no API; everything lives in its _test.go files.
package e2e
