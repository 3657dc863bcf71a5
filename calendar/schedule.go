package calendar

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"kefu"
)

// ParseSchedule reads the year's official holiday schedule, published each
// November by the State Council, as CSV with the header "date,name,kind":
//
//	date,name,kind
//	2026-10-01,国庆节,休
//	2026-10-10,国庆节调休,班
//
// Kind is "holiday" or 休 for a closed day and "workday" or 班 for a make-up
// working day, which gets Monday's hours. Lines starting with # are comments.
// A file saved by Excel, with a byte-order mark, is accepted.
//
// Problems are EINVALID errors for the field "schedule" whose message names
// the line, so that whoever uploaded the file can fix it.
func ParseSchedule(r io.Reader) (holidays, workdays []Day, err error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.FieldsPerRecord = 3
	cr.TrimLeadingSpace = true

	listed := make(map[int]int) // date to the line that listed it
	for header := true; ; header = false {
		record, err := cr.Read()
		if err == io.EOF && header {
			return nil, nil, lineError(1, "Start with the header date,name,kind.")
		} else if err == io.EOF {
			return holidays, workdays, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) && errors.Is(perr.Err, csv.ErrFieldCount) {
			return nil, nil, lineError(perr.Line, "Give three fields: date,name,kind.")
		} else if errors.As(err, &perr) {
			return nil, nil, lineError(perr.Line, "Cannot read it as CSV: %s.", perr.Err)
		} else if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		for i := range record {
			record[i] = strings.TrimSpace(record[i])
		}

		if header {
			if !strings.EqualFold(strings.Join(record, ","), "date,name,kind") {
				return nil, nil, lineError(line, "Start with the header date,name,kind.")
			}
			continue
		}
		date, name, kind := record[0], record[1], record[2]
		n, ok := parseDate(date)
		if !ok {
			return nil, nil, lineError(line, "Use a date like 2026-10-01, not %q.", date)
		}
		if prev, ok := listed[n]; ok {
			return nil, nil, lineError(line, "%s is already on line %d; list a date once.", date, prev)
		}
		listed[n] = line
		switch strings.ToLower(kind) {
		case "holiday", "休":
			holidays = append(holidays, Day{Date: date, Name: name})
		case "workday", "班":
			workdays = append(workdays, Day{Date: date, Name: name})
		default:
			return nil, nil, lineError(line, "Use the kind holiday (休) or workday (班), not %q.", kind)
		}
	}
}

// lineError returns an EINVALID error for line of a schedule.
func lineError(line int, format string, args ...any) error {
	return kefu.Invalid("schedule", "Line %d: "+format, append([]any{line}, args...)...)
}
