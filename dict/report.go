package dict

// Report is the result of filtering one text in the shape that
// POST /v1/filter answers and "wordfilter check -json" prints.
type Report struct {
	Decision string        `json:"decision"`
	Text     string        `json:"text"`
	Matches  []ReportMatch `json:"matches"`
	Version  string        `json:"version"`
}

// ReportMatch is one match of a Report.
type ReportMatch struct {
	Word     string `json:"word"`
	Category string `json:"category"`
	Action   string `json:"action"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// Report filters text and describes the result. Matches is never nil, so
// that it encodes as [] rather than null.
func (d *Dictionary) Report(text string) Report {
	res := d.Matcher.Filter(nil, text)
	r := Report{
		Decision: res.Decision.String(),
		Text:     res.Text,
		Matches:  make([]ReportMatch, 0, len(res.Matches)),
		Version:  d.Version,
	}
	for _, m := range res.Matches {
		w := d.Matcher.Word(m.Word)
		r.Matches = append(r.Matches, ReportMatch{
			Word: w.Text, Category: w.Category, Action: w.Action.String(),
			Start: m.Start, End: m.End,
		})
	}
	return r
}
