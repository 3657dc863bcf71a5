package eval

import (
	"fmt"
	"math/rand"
	"sort"

	"kefu/bot/intent"
)

// IntentReport is what `kefu eval intent` prints.
type IntentReport struct {
	Mode     string                 `json:"mode"` // "shipped", "trained" or "cv5"
	N        int                    `json:"n"`
	Accuracy float64                `json:"accuracy"`
	MacroF1  float64                `json:"macro_f1"`
	PerClass map[string]ClassScores `json:"per_class"`
	Angry    *BinaryScores          `json:"angry,omitempty"` // only when the file labels anger
}

// IntentClassifier is what the intent evaluation needs of a model.
type IntentClassifier interface {
	Predict(text string) (string, float64)
}

// AngerDetector is what the anger evaluation needs of a detector.
type AngerDetector interface {
	Angry(messages []string) (bool, float64)
}

// ScoreIntent runs model (and anger, if not nil and the file labels anger)
// over items and scores them.
func ScoreIntent(mode string, model IntentClassifier, anger AngerDetector, items []IntentItem) IntentReport {
	conf := NewConfusion()
	var gold, pred []bool
	for _, it := range items {
		label, _ := model.Predict(it.Text)
		conf.Add(it.Intent, label)
		if anger != nil && it.HasAngry {
			msgs := it.Messages
			if msgs == nil {
				msgs = []string{it.Text}
			}
			a, _ := anger.Angry(msgs)
			gold = append(gold, it.Angry)
			pred = append(pred, a)
		}
	}
	return intentReport(mode, conf, gold, pred)
}

func intentReport(mode string, conf *Confusion, gold, pred []bool) IntentReport {
	rep := IntentReport{Mode: mode, N: conf.N(), Accuracy: conf.Accuracy(), MacroF1: conf.MacroF1(), PerClass: conf.PerClass()}
	if len(gold) > 0 {
		b := Binary(gold, pred)
		rep.Angry = &b
	}
	return rep
}

// Folds assigns each of n items, whose labels are given, to one of k folds
// so that every label is spread evenly over the folds (stratified), in an
// order fixed by seed.
func Folds(labels []string, k int, seed int64) []int {
	idx := rand.New(rand.NewSource(seed)).Perm(len(labels))
	sort.SliceStable(idx, func(a, b int) bool { return labels[idx[a]] < labels[idx[b]] })
	fold := make([]int, len(labels))
	for pos, i := range idx {
		fold[i] = pos % k
	}
	return fold
}

// CrossValidateIntent trains on k-1 folds and predicts the held-out fold,
// k times, and scores all predictions together. extra examples (such as
// kefu's shipped training set) are added to every training fold; they are
// never scored. Anger is scored with the given detector, whose rules do not
// depend on the folds.
func CrossValidateIntent(items []IntentItem, k int, opts intent.Options, extra []intent.Example, anger AngerDetector) IntentReport {
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = it.Intent
	}
	fold := Folds(labels, k, 7)
	conf := NewConfusion()
	for f := 0; f < k; f++ {
		train := append([]intent.Example(nil), extra...)
		for i, it := range items {
			if fold[i] != f {
				train = append(train, intent.Example{Text: it.Text, Intent: it.Intent})
			}
		}
		model := intent.Train(train, opts)
		for i, it := range items {
			if fold[i] == f {
				label, _ := model.Predict(it.Text)
				conf.Add(it.Intent, label)
			}
		}
	}
	var gold, pred []bool
	if anger != nil {
		for _, it := range items {
			if !it.HasAngry {
				continue
			}
			msgs := it.Messages
			if msgs == nil {
				msgs = []string{it.Text}
			}
			a, _ := anger.Angry(msgs)
			gold = append(gold, it.Angry)
			pred = append(pred, a)
		}
	}
	return intentReport(fmt.Sprintf("cv%d", k), conf, gold, pred)
}

// ItemsToExamples converts evaluation items into training examples.
func ItemsToExamples(items []IntentItem) []intent.Example {
	out := make([]intent.Example, len(items))
	for i, it := range items {
		out[i] = intent.Example{Text: it.Text, Intent: it.Intent, Angry: it.Angry}
	}
	return out
}
