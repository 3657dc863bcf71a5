package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"kefu/bot/eval"
)

// evalCmd scores the bot's models on a labelled file. The file's labels only
// score; training uses --train, or the other folds with --cv.
func evalCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "eval", Short: "Score the bot on a labelled file (intent, sentiment, retrieval)"}
	var file, train string
	var cv, asJSON bool
	mode := func() (eval.Mode, error) {
		switch {
		case cv && train != "":
			return "", fmt.Errorf("give --train or --cv, not both")
		case cv:
			return eval.CV5, nil
		case train != "":
			return eval.Trained, nil
		}
		return eval.Shipped, nil
	}
	sub := func(use, short string, run func(out io.Writer, m eval.Mode) (any, func(), error)) *cobra.Command {
		c := &cobra.Command{
			Use:   use,
			Short: short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				m, err := mode()
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				report, text, err := run(out, m)
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(out).Encode(report)
				}
				text()
				return nil
			},
		}
		c.Flags().StringVar(&file, "file", "", "the labelled file to score (required)")
		c.Flags().StringVar(&train, "train", "", "train a fresh model on this file instead of using the shipped one")
		c.Flags().BoolVar(&cv, "cv", false, "5-fold cross-validation within --file instead of the shipped model")
		c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
		c.MarkFlagRequired("file")
		return c
	}
	cmd.AddCommand(
		sub("intent", "Intent accuracy and anger on JSONL (jddc intent_dev) or CSV (Bitext: instruction, intent)",
			func(out io.Writer, m eval.Mode) (any, func(), error) {
				r, err := eval.Intent(file, m, train)
				return r, func() {
					fmt.Fprintf(out, "intent (%s): n %d, accuracy %.3f, macro-F1 %.3f\n", r.Mode, r.N, r.Accuracy, r.MacroF1)
					labels := make([]string, 0, len(r.PerClass))
					for l := range r.PerClass {
						labels = append(labels, l)
					}
					sort.Strings(labels)
					for _, l := range labels {
						c := r.PerClass[l]
						fmt.Fprintf(out, "  %-16s precision %.3f  recall %.3f  F1 %.3f  support %d\n", l, c.Precision, c.Recall, c.F1, c.Support)
					}
					if r.Angry != nil {
						fmt.Fprintf(out, "anger: precision %.3f, recall %.3f, F1 %.3f\n", r.Angry.Precision, r.Angry.Recall, r.Angry.F1)
					}
				}, err
			}),
		sub("sentiment", "Sentiment accuracy on CSV with label and review columns (.gz allowed)",
			func(out io.Writer, m eval.Mode) (any, func(), error) {
				r, err := eval.Sentiment(file, m, train)
				return r, func() {
					fmt.Fprintf(out, "sentiment (%s): n %d, accuracy %.3f, macro-F1 %.3f\n", r.Mode, r.N, r.Accuracy, r.MacroF1)
				}, err
			}),
		sub("retrieval", "FAQ matching on ATEC pairs (R@1, R@5, MRR) or response selection on ECD (R10@k)",
			func(out io.Writer, m eval.Mode) (any, func(), error) {
				if eval.Kind(file) == "selection" {
					r, err := eval.Selection(file, m)
					return r, func() {
						fmt.Fprintf(out, "response selection (%s): n %d, R10@1 %.3f, R10@2 %.3f, R10@5 %.3f, MRR %.3f\n",
							r.Mode, r.N, r.R10At1, r.R10At2, r.R10At5, r.MRR)
					}, err
				}
				r, err := eval.FAQ(file, m, train)
				return r, func() {
					fmt.Fprintf(out, "FAQ retrieval (%s): n %d, index %d, R@1 %.3f, R@5 %.3f, MRR %.3f\n",
						r.Mode, r.N, r.IndexSize, r.RAt1, r.RAt5, r.MRR)
				}, err
			}),
	)
	return cmd
}
