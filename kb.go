package kefu

import "time"

// Article statuses.
const (
	ArticleDraft     = "draft"
	ArticlePublished = "published"
)

// Article is a help-centre page in one language. Every save keeps the
// previous text as a revision.
type Article struct {
	ID        string    `json:"id"`
	Locale    string    `json:"locale"` // zh-CN or en
	Slug      string    `json:"slug"`   // the same for the translations of one article
	Title     string    `json:"title"`
	Body      string    `json:"body"` // Markdown
	Category  string    `json:"category"`
	Intent    string    `json:"intent,omitempty"`
	Status    string    `json:"status"`
	Revision  int       `json:"revision"`
	AuthorID  string    `json:"author_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ArticleRevision is an earlier text of an article.
type ArticleRevision struct {
	ArticleID string    `json:"article_id"`
	Revision  int       `json:"revision"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	AuthorID  string    `json:"author_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// FAQ is a question the bot and agents answer the same way every time.
type FAQ struct {
	ID           string    `json:"id"`
	Locale       string    `json:"locale"`
	Category     string    `json:"category"`
	Intent       string    `json:"intent,omitempty"`
	Question     string    `json:"question"`
	Alternatives []string  `json:"alternatives"` // other ways customers ask it
	Answer       string    `json:"answer"`       // may use {{shop.name}} and other variables
	Status       string    `json:"status"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Intents are the request types kefu sorts customer messages into (see the
// intent taxonomy); routing, reports and the bot use them.
var Intents = []string{"presale", "order", "logistics", "return_refund", "quality", "repair_install", "payment",
	"invoice", "promotion", "account", "complaint", "other"}

// Locales kefu's knowledge base and widget speak.
var Locales = []string{"zh-CN", "en"}
