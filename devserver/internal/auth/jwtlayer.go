package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/golang-jwt/jwt/v5"
)

// JWTError is a refusal by the JWT layer Superset's API sits behind
// (flask-jwt-extended): it answers before any endpoint runs, with its own
// {"msg": ...} body instead of Superset's {"message": ...}. A host backend
// that handles only 401 misses the 422 this layer gives a token it cannot
// verify, which is why the mock reproduces it.
type JWTError struct {
	Status int
	Msg    string
}

// Error returns the message.
func (e *JWTError) Error() string { return e.Msg }

// flask-jwt-extended's default messages.
const (
	msgMissingHeader = "Missing Authorization Header"
	msgNotBearer     = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
	msgExpired       = "Token has expired"
	msgNotAccess     = "Only non-refresh tokens are allowed"
	msgNotRefresh    = "Only refresh tokens are allowed"
)

// unauthorized and unprocessable build the layer's two kinds of refusal:
// 401 for a token that is missing or expired, 422 for one it cannot use.
func unauthorized(msg string) error  { return &JWTError{http.StatusUnauthorized, msg} }
func unprocessable(msg string) error { return &JWTError{http.StatusUnprocessableEntity, msg} }

// parseError turns golang-jwt's verdict on tok into the refusal PyJWT's
// wording would give.
func parseError(tok string, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthorized(msgExpired)
	case strings.Count(tok, ".") < 2:
		return unprocessable("Not enough segments")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return unprocessable("Signature verification failed")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return unprocessable("The specified alg value is not allowed")
	case errors.Is(err, jwt.ErrTokenMalformed):
		return unprocessable("Invalid token: " + err.Error())
	}
	return unprocessable(err.Error())
}

// WriteError answers a failed authentication: the JWT layer's {"msg": ...}
// for a JWTError, Superset's 401 {"message": "Not authorized"} otherwise.
func WriteError(w http.ResponseWriter, err error) {
	var je *JWTError
	if errors.As(err, &je) {
		apijson.Write(w, je.Status, map[string]string{"msg": je.Msg})
		return
	}
	apijson.WriteUnauthorized(w, err.Error())
}

// WriteForbidden answers an authenticated account that lacks the
// permission an endpoint needs, as Flask-AppBuilder's protect() does.
func WriteForbidden(w http.ResponseWriter) {
	apijson.WriteError(w, http.StatusForbidden, "Forbidden")
}
