package errs

import "net/http"

// HTTPStatus is the status code of an error kind, the same for the UI and the API.
func HTTPStatus(k Kind) int {
	switch k {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthenticated:
		return http.StatusUnauthorized
	case TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
