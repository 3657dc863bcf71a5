// Package train retrains the intent classifier on the shop's own data:
// kefu's shipped examples plus every conversation whose intent an agent set
// in the console. `kefu train` and the nightly job in `kefu serve` call it;
// the model is written to the data directory, where kefu loads it in place
// of the shipped one.
package train

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"kefu/bot/intent"
	"kefu/bot/shipped"
	"kefu/store"
)

// CorrectionWeight is how much one agent-labelled conversation counts
// against one shipped example: the shop's own wording is what the shipped
// examples lack, and corrections are few at first.
const CorrectionWeight = 3

// Folds is the number of cross-validation folds, and MinForCV the
// corrections needed before an accuracy figure means anything.
const (
	Folds    = 5
	MinForCV = 10
)

// Result says what a training run used and how good the model is on the
// shop's conversations.
type Result struct {
	Path        string        `json:"path"`
	Shipped     int           `json:"shipped_examples"`
	Corrections int           `json:"corrections"`
	Took        time.Duration `json:"took_ns"`
	// On the corrected conversations: the shipped model's accuracy, and the
	// retrained model's by cross-validation (each fold predicted by a model
	// that never saw it). Nil with fewer than MinForCV corrections.
	ShippedAccuracy   *float64 `json:"shipped_accuracy,omitempty"`
	RetrainedAccuracy *float64 `json:"retrained_accuracy,omitempty"`
}

// ModelPath is where the shop's intent model lives in a data directory.
func ModelPath(dataDir string) string { return filepath.Join(dataDir, "models", "intent.model") }

// Intent trains a model on the shipped examples and the corrections in db,
// writes it to path (atomically: a running kefu never reads half a file)
// and returns it.
func Intent(ctx context.Context, db *store.DB, path string) (*intent.Model, Result, error) {
	start := time.Now()
	res := Result{Path: path}
	base, err := shipped.IntentExamples()
	if err != nil {
		return nil, res, err
	}
	corrections, err := db.IntentCorrections(ctx)
	if err != nil {
		return nil, res, err
	}
	res.Shipped, res.Corrections = len(base), len(corrections)
	var labelled []intent.Example
	for _, c := range corrections {
		labelled = append(labelled, intent.Example{Text: c.Text, Intent: c.Intent, Weight: CorrectionWeight})
	}
	if len(labelled) >= MinForCV {
		shippedModel, err := shipped.IntentModel()
		if err != nil {
			return nil, res, err
		}
		s, r := accuracy(shippedModel, labelled), crossValidate(base, labelled)
		res.ShippedAccuracy, res.RetrainedAccuracy = &s, &r
	}
	model := intent.Train(append(base, labelled...), shipped.IntentOptions())
	if err := save(model, path); err != nil {
		return nil, res, err
	}
	res.Took = time.Since(start)
	return model, res, nil
}

func accuracy(m *intent.Model, examples []intent.Example) float64 {
	right := 0
	for _, ex := range examples {
		if got, _ := m.Predict(ex.Text); got == ex.Intent {
			right++
		}
	}
	return float64(right) / float64(len(examples))
}

// crossValidate predicts each fold of the labelled examples with a model
// trained on the base and the other folds.
func crossValidate(base, labelled []intent.Example) float64 {
	right := 0
	for f := range Folds {
		var train, test []intent.Example
		train = append(train, base...)
		for i, ex := range labelled {
			if i%Folds == f {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		m := intent.Train(train, shipped.IntentOptions())
		for _, ex := range test {
			if got, _ := m.Predict(ex.Text); got == ex.Intent {
				right++
			}
		}
	}
	return float64(right) / float64(len(labelled))
}

func save(m *intent.Model, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".intent-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := m.Save(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write the intent model: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Load reads the model at path; ok is false when there is none yet.
func Load(path string) (m *intent.Model, ok bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	defer f.Close()
	m, err = intent.Load(f)
	return m, err == nil, err
}

// Due reports whether the nightly retraining should run at now: it is past
// 03:00 local time, an agent corrected an intent after the model at path
// was written, and the model was not written since today's 03:00.
func Due(path string, lastCorrection, now time.Time) bool {
	if lastCorrection.IsZero() {
		return false
	}
	slot := time.Date(now.Year(), now.Month(), now.Day(), 3, 0, 0, 0, now.Location())
	if now.Before(slot) {
		return false
	}
	info, err := os.Stat(path)
	if err != nil {
		return true
	}
	return info.ModTime().Before(lastCorrection) && info.ModTime().Before(slot)
}
