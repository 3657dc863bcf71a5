package eval

import (
	"fmt"
	"strings"

	"kefu/bot/faq"
	"kefu/bot/intent"
	"kefu/bot/sentiment"
	"kefu/bot/shipped"
)

// Mode says which model an evaluation scores.
type Mode string

const (
	// Shipped scores kefu's default models (bot/shipped), trained only on
	// kefu's own examples.
	Shipped Mode = "shipped"
	// Trained scores models trained on a separate training file.
	Trained Mode = "trained"
	// CV5 scores 5-fold cross-validation within the evaluated file.
	CV5 Mode = "cv5"
)

// Folds used by CV5.
const cvFolds = 5

// OwnExampleWeight is the training weight of kefu's shipped examples when
// they are added to in-domain training data (Trained and CV5 intent
// modes): enough to teach the vocabulary of each intent, not so much that
// they outvote real requests. 0.3 was best of 0.3, 0.6 and 1.
const OwnExampleWeight = 0.3

// Intent evaluates intent (and anger, when the file labels it) on path, a
// JSONL file like jddc/intent_dev.jsonl or a CSV like the Bitext set.
// trainPath is needed for Trained. For JDDC-style files (kefu's
// taxonomy), Trained and CV5 add kefu's own examples to the training data
// with OwnExampleWeight; for files with other intents (Bitext) they do
// not, since their labels differ. Anger is always the shipped detector.
func Intent(path string, mode Mode, trainPath string) (IntentReport, error) {
	items, err := ReadIntentFile(path)
	if err != nil {
		return IntentReport{}, err
	}
	detector, err := shipped.AngerDetector()
	if err != nil {
		return IntentReport{}, err
	}
	extra, err := ownExamplesFor(items)
	if err != nil {
		return IntentReport{}, err
	}
	opts := intent.DefaultOptions()
	switch mode {
	case Shipped:
		m, err := shipped.IntentModel()
		if err != nil {
			return IntentReport{}, err
		}
		return ScoreIntent(string(mode), m, detector, items), nil
	case Trained:
		train, err := ReadIntentFile(trainPath)
		if err != nil {
			return IntentReport{}, fmt.Errorf("training file: %w", err)
		}
		m := intent.Train(append(extra, ItemsToExamples(train)...), opts)
		return ScoreIntent(string(mode), m, detector, items), nil
	case CV5:
		return CrossValidateIntent(items, cvFolds, opts, extra, detector), nil
	}
	return IntentReport{}, fmt.Errorf("eval: unknown mode %q", mode)
}

// ownExamplesFor returns kefu's shipped examples, weighted, when the
// items use kefu's taxonomy, and nil otherwise.
func ownExamplesFor(items []IntentItem) ([]intent.Example, error) {
	known := map[string]bool{}
	for _, l := range intent.Labels {
		known[l] = true
	}
	for _, it := range items {
		if !known[it.Intent] {
			return nil, nil
		}
	}
	ex, err := shipped.IntentExamples()
	if err != nil {
		return nil, err
	}
	for i := range ex {
		ex[i].Weight = OwnExampleWeight
	}
	return ex, nil
}

// Sentiment evaluates sentiment on a CSV (label, review; .gz allowed).
func Sentiment(path string, mode Mode, trainPath string) (SentimentReport, error) {
	items, err := ReadSentimentFile(path)
	if err != nil {
		return SentimentReport{}, err
	}
	lx, err := shipped.Lexicon()
	if err != nil {
		return SentimentReport{}, err
	}
	switch mode {
	case Shipped:
		m, err := shipped.SentimentModel()
		if err != nil {
			return SentimentReport{}, err
		}
		return ScoreSentiment(string(mode), m, items), nil
	case Trained:
		train, err := ReadSentimentFile(trainPath)
		if err != nil {
			return SentimentReport{}, fmt.Errorf("training file: %w", err)
		}
		m := sentiment.Train(SentimentExamples(train), lx, sentiment.DefaultOptions())
		return ScoreSentiment(string(mode), m, items), nil
	case CV5:
		return CrossValidateSentiment(items, cvFolds, lx, sentiment.DefaultOptions()), nil
	}
	return SentimentReport{}, fmt.Errorf("eval: unknown mode %q", mode)
}

// FAQ evaluates FAQ retrieval on an ATEC-style TSV of question pairs.
// Shipped is plain kefu retrieval (BM25 over characters and bigrams, no
// learning) with the whole file as one index. Trained learns synonyms and
// a reranker from trainPath's positive pairs and searches the whole file.
// CV5 searches each fold's own entries, learning from the other folds.
func FAQ(path string, mode Mode, trainPath string) (RetrievalReport, error) {
	pairs, err := ReadPairs(path)
	if err != nil {
		return RetrievalReport{}, err
	}
	opts := faq.Options{}
	switch mode {
	case Shipped:
		return ScoreFAQ(string(mode), pairs, opts, nil, nil), nil
	case Trained:
		train, err := ReadPairs(trainPath)
		if err != nil {
			return RetrievalReport{}, fmt.Errorf("training file: %w", err)
		}
		tp := PairsToTraining(train)
		return ScoreFAQ(string(mode), pairs, opts, faq.LearnSynonyms(tp, faq.SynonymOptions{}),
			faq.TrainReranker(tp, opts, faq.RerankOptions{})), nil
	case CV5:
		return CrossValidateFAQ(pairs, cvFolds, opts, true, faq.SynonymOptions{}, true), nil
	}
	return RetrievalReport{}, fmt.Errorf("eval: unknown mode %q", mode)
}

// Selection evaluates response selection on an ECD-style file (groups of
// 10). Only the unsupervised scorer exists, so mode is reported as given.
func Selection(path string, mode Mode) (SelectionReport, error) {
	groups, err := ReadSelection(path, 10)
	if err != nil {
		return SelectionReport{}, err
	}
	return ScoreSelection(string(mode), groups, 0.5), nil
}

// Kind guesses which evaluation suits a file from its name: "intent",
// "sentiment", "faq" or "selection".
func Kind(path string) string {
	name := strings.ToLower(path)
	switch {
	case strings.Contains(name, "atec"):
		return "faq"
	case strings.Contains(name, "ecd"):
		return "selection"
	case strings.Contains(name, "intent") || strings.Contains(name, "bitext") || strings.HasSuffix(name, ".jsonl"):
		return "intent"
	default:
		return "sentiment"
	}
}
