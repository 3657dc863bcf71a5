package eval

import (
	"fmt"

	"kefu/bot/sentiment"
)

// SentimentReport is what `kefu eval sentiment` prints.
type SentimentReport struct {
	Mode     string  `json:"mode"`
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
}

// SentimentClassifier is what the sentiment evaluation needs of a model.
type SentimentClassifier interface {
	Predict(text string) (bool, float64)
}

func sentimentLabel(positive bool) string {
	if positive {
		return sentiment.Positive
	}
	return sentiment.Negative
}

// ScoreSentiment runs model over items and scores it.
func ScoreSentiment(mode string, model SentimentClassifier, items []SentimentItem) SentimentReport {
	conf := NewConfusion()
	for _, it := range items {
		p, _ := model.Predict(it.Text)
		conf.Add(sentimentLabel(it.Positive), sentimentLabel(p))
	}
	return SentimentReport{Mode: mode, N: conf.N(), Accuracy: conf.Accuracy(), MacroF1: conf.MacroF1()}
}

// CrossValidateSentiment trains on k-1 folds and scores the held-out fold,
// k times, pooling the predictions. lx may be nil.
func CrossValidateSentiment(items []SentimentItem, k int, lx *sentiment.Lexicon, opts sentiment.Options) SentimentReport {
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = sentimentLabel(it.Positive)
	}
	fold := Folds(labels, k, 7)
	conf := NewConfusion()
	for f := 0; f < k; f++ {
		var train []sentiment.Example
		for i, it := range items {
			if fold[i] != f {
				train = append(train, sentiment.Example{Text: it.Text, Positive: it.Positive})
			}
		}
		model := sentiment.Train(train, lx, opts)
		for i, it := range items {
			if fold[i] == f {
				p, _ := model.Predict(it.Text)
				conf.Add(labels[i], sentimentLabel(p))
			}
		}
	}
	return SentimentReport{Mode: fmt.Sprintf("cv%d", k), N: conf.N(), Accuracy: conf.Accuracy(), MacroF1: conf.MacroF1()}
}

// SentimentExamples converts evaluation items into training examples.
func SentimentExamples(items []SentimentItem) []sentiment.Example {
	out := make([]sentiment.Example, len(items))
	for i, it := range items {
		out[i] = sentiment.Example{Text: it.Text, Positive: it.Positive}
	}
	return out
}
