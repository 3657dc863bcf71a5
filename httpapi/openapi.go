package httpapi

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"sync"

	"gopkg.in/yaml.v3"
)

// OpenAPIYAML is the API's OpenAPI 3.1 document, written by hand (spec first)
// and checked against Routes by the tests and by a third-party linter.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

var openAPIJSON = sync.OnceValues(func() ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPIYAML, &doc); err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	doc, err := openAPIJSON()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
	return nil
}
