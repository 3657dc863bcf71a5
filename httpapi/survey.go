package httpapi

import (
	_ "embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"kefu"
)

//go:embed templates/survey.html
var surveyHTML string

var surveyPage = template.Must(template.New("survey").Parse(surveyHTML))

// surveyText is the survey page's words per language.
type surveyText struct{ Title, CSAT, NPS, Comment, Submit, Low, High, Unlikely, Likely, Thanks string }

var surveyTexts = map[string]surveyText{
	"zh-CN": {Title: "服务评价", CSAT: "您对本次服务满意吗？", NPS: "您有多大可能把我们推荐给朋友？", Comment: "还有什么想告诉我们的（选填）",
		Submit: "提交评价", Low: "非常不满意", High: "非常满意", Unlikely: "不可能", Likely: "非常可能", Thanks: "感谢您的评价！"},
	"en": {Title: "Rate our service", CSAT: "How satisfied are you with the service?", NPS: "How likely are you to recommend us to a friend?",
		Comment: "Anything else you'd like to tell us (optional)", Submit: "Send", Low: "Very unsatisfied", High: "Very satisfied",
		Unlikely: "Not at all", Likely: "Extremely likely", Thanks: "Thank you for your feedback!"},
}

type surveyView struct {
	Lang            string
	T               surveyText
	AskCSAT, AskNPS bool
	CSATScale       []int
	NPSScale        []int
	Error, Done     string
}

// surveyLang picks the page's language from the browser.
func surveyLang(r *http.Request) string {
	if l := r.Header.Get("Accept-Language"); l != "" && !strings.HasPrefix(strings.ToLower(l), "zh") {
		return "en"
	}
	return "zh-CN"
}

// surveyForm shows the survey of a link (GET) or records its answer (POST
// form); customers on any channel get the link.
func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request) {
	lang := surveyLang(r)
	v := surveyView{Lang: lang, T: surveyTexts[lang], CSATScale: []int{1, 2, 3, 4, 5}, NPSScale: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}
	token := r.PathValue("token")
	sv, err := s.App.Survey.Find(r.Context(), token)
	if err != nil {
		v.Done = kefu.ErrorMessage(err)
	} else if sv.AnsweredAt != nil {
		v.Done = v.T.Thanks
	}
	v.AskCSAT, v.AskNPS = sv.Kind == "csat" || sv.Kind == "both", sv.Kind == "nps" || sv.Kind == "both"
	if r.Method == http.MethodPost && v.Done == "" {
		_ = r.ParseForm()
		csat, nps := formInt(r, "csat"), formInt(r, "nps")
		if _, err := s.App.Survey.Answer(r.Context(), token, csat, nps, r.PostForm.Get("comment")); err != nil {
			v.Error = kefu.ErrorMessage(err)
		} else {
			v.Done = v.T.Thanks
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = surveyPage.Execute(w, v)
}

func formInt(r *http.Request, name string) *int {
	n, err := strconv.Atoi(r.PostForm.Get(name))
	if err != nil {
		return nil
	}
	return &n
}

// widgetSurvey records an answer from the widget's survey card.
func (s *Server) widgetSurvey(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token   string `json:"token"`
		CSAT    *int   `json:"csat"`
		NPS     *int   `json:"nps"`
		Comment string `json:"comment"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.App.Survey.Answer(r.Context(), in.Token, in.CSAT, in.NPS, in.Comment)
	return ok(w, http.StatusOK, map[string]any{"answered_at": v.AnsweredAt}, err)
}
