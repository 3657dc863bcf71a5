package kefu

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in httpapi and one exit message in the CLI.
const (
	EINVALID         = "invalid"           // bad input; Field names the offending field
	ENOTFOUND        = "not_found"         // the entity does not exist or the actor may not know it does
	EFORBIDDEN       = "forbidden"         // the actor lacks the permission
	EUNAUTHORIZED    = "unauthorized"      // no or bad credentials
	ECONFLICT        = "conflict"          // the change clashes with the current state
	ETOOMANYREQUESTS = "too_many_requests" // rate limited or locked out
	ETOTPREQUIRED    = "totp_required"     // password accepted; a second factor is needed
	EINTERNAL        = "internal"          // a bug or an outage; details are logged, not shown
)

// Error is kefu's one error type for expected failures that users should see.
type Error struct {
	Code    string
	Message string
	Field   string // the input field at fault, for EINVALID
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("kefu: %s: %s (field %s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("kefu: %s: %s", e.Code, e.Message)
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field at fault.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else EINTERNAL.
// A nil error has no code.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that details never leak to clients.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the field named by an EINVALID error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
