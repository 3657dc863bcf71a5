// Package shipped builds kefu's default bot models from the training data
// kept in this package's data/ folder and embedded in the binary:
//
//   - data/intents.jsonl: customer requests written for kefu, one JSON
//     object a line: {"text", "intent", "angry"}; the intent and anger
//     models learn from it.
//   - data/sentiment.jsonl: short reviews written for kefu, {"text",
//     "positive"}.
//   - data/sentiment_lexicon.txt: kefu's sentiment word list.
//
// All of it was written by hand for kefu (none is copied from a public
// data set), so the default models can ship under the project's licence.
// Models are trained on first use (well under a second) and cached.
package shipped

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"kefu/bot/anger"
	"kefu/bot/classify"
	"kefu/bot/intent"
	"kefu/bot/sentiment"
)

//go:embed data/intents.jsonl data/sentiment.jsonl data/sentiment_lexicon.txt
var files embed.FS

// readJSONL decodes every line of an embedded JSONL file into a new T.
func readJSONL[T any](name string) ([]T, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("shipped: %s:%d: %w", name, line, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// IntentExamples returns kefu's own labelled requests.
func IntentExamples() ([]intent.Example, error) {
	return readJSONL[intent.Example]("data/intents.jsonl")
}

// SentimentExamples returns kefu's own labelled reviews.
func SentimentExamples() ([]sentiment.Example, error) {
	return readJSONL[sentiment.Example]("data/sentiment.jsonl")
}

// Lexicon returns kefu's sentiment lexicon.
func Lexicon() (*sentiment.Lexicon, error) {
	b, err := files.ReadFile("data/sentiment_lexicon.txt")
	if err != nil {
		return nil, err
	}
	return sentiment.ParseLexicon(bytes.NewReader(b))
}

// IntentOptions are the training settings of the shipped intent model.
// The penalty is stronger than for in-domain training because the shipped
// examples are few and written by one hand.
func IntentOptions() intent.Options {
	return intent.Options{
		Classifier: classify.Options{Epochs: 30, LearningRate: 0.5, L2: 3e-4},
		MaxN:       3,
	}
}

// SentimentOptions are the training settings of the shipped sentiment
// model: few examples, so the lexicon features are repeated to dominate.
func SentimentOptions() sentiment.Options {
	return sentiment.Options{Classifier: classify.Options{Epochs: 30, LearningRate: 0.3, L2: 1e-4}, MaxN: 2, LexiconRepeat: 2}
}

var (
	intentOnce = sync.OnceValues(func() (*intent.Model, error) {
		ex, err := IntentExamples()
		if err != nil {
			return nil, err
		}
		return intent.Train(ex, IntentOptions()), nil
	})
	sentimentOnce = sync.OnceValues(func() (*sentiment.Model, error) {
		ex, err := SentimentExamples()
		if err != nil {
			return nil, err
		}
		lx, err := Lexicon()
		if err != nil {
			return nil, err
		}
		return sentiment.Train(ex, lx, SentimentOptions()), nil
	})
	angerOnce = sync.OnceValues(func() (*anger.Detector, error) {
		d := anger.New()
		if AngerModelWeight > 0 {
			ex, err := IntentExamples()
			if err != nil {
				return nil, err
			}
			var train []anger.Example
			for _, e := range ex {
				train = append(train, anger.Example{Text: e.Text, Angry: e.Angry})
			}
			d.Train(train, AngerModelWeight)
		}
		return d, nil
	})
)

// AngerModelWeight is how much a model learned from the anger labels of
// data/intents.jsonl adds to the cues' score. It is 0, so the shipped
// detector is cues only: on the JDDC dev sessions any weight above 0 cost
// precision (0.88 to 0.68 at 0.25) without adding recall, because ~35
// angry examples teach the model words, not anger (docs/bot-quality.md).
var AngerModelWeight = 0.0

// IntentModel returns the default intent model, trained on first call.
func IntentModel() (*intent.Model, error) { return intentOnce() }

// SentimentModel returns the default sentiment model.
func SentimentModel() (*sentiment.Model, error) { return sentimentOnce() }

// AngerDetector returns the default anger detector (kefu's cues; see
// AngerModelWeight).
func AngerDetector() (*anger.Detector, error) { return angerOnce() }
