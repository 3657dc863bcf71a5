package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"kefu"
	"kefu/channel/webchat"
	"kefu/store"
	"kefu/store/storetest"
)

func TestWidgetSessionIdentifyUploadOffline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ib, err := e.app.Webchat.CreateInbox(e.system(), kefu.Inbox{Name: "官网", PrechatEnabled: true, PrechatFields: []string{"name", "phone"}})
		if err != nil {
			t.Fatal(err)
		}
		known, err := e.app.Contacts.Create(e.system(), kefu.Contact{Name: "李四", Phone: "13900139002", ShopUserID: "u10002"})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client("")
		origin := []string{"Origin", "https://shop.example.com", "Sec-Fetch-Site", "cross-site"}
		if r := c.do("POST", "/widget/v1/session", map[string]any{"website_token": "nope"}, origin...); r.status != 400 || r.errorField() != "website_token" {
			t.Fatalf("unknown token: %d %s", r.status, r.raw)
		}
		r := c.do("POST", "/widget/v1/session", map[string]any{"website_token": ib.WebsiteToken}, origin...)
		vt := str(r.body, "visitor_token")
		if r.status != 200 || vt == "" || r.body["conversation"] != nil || str(r.body, "inbox", "name") != "官网" {
			t.Fatalf("session from another origin: %d %s", r.status, r.raw)
		}
		// Opening a shop page makes no contact; the first thing said does.
		if page, _ := e.app.Contacts.List(e.system(), kefu.ContactFilter{}); len(page.Items) != 1 {
			t.Fatalf("a session made a contact: %d contacts", len(page.Items))
		}
		// The same visitor token resumes the same visitor.
		if r := c.do("POST", "/widget/v1/session", map[string]any{"website_token": ib.WebsiteToken, "visitor_token": vt}, origin...); str(r.body, "visitor_token") != vt {
			t.Fatalf("resume: %s", r.raw)
		}

		// Identify needs the shop's signature.
		if r := c.do("POST", "/widget/v1/identify", map[string]any{"visitor_token": vt, "user_id": "u10002", "signature": "00"}, origin...); r.status != 401 || r.errorField() != "signature" {
			t.Fatalf("forged identify: %d %s", r.status, r.raw)
		}
		sig := webchat.Signature(ib.IdentitySecret, "u10002")
		r = c.do("POST", "/widget/v1/identify", map[string]any{"visitor_token": vt, "user_id": "u10002", "signature": sig}, origin...)
		if r.status != 200 || str(r.body, "contact_id") != known.ID {
			t.Fatalf("identify: %d %s", r.status, r.raw)
		}

		// Uploads: an image is accepted, an executable is not.
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
		upload := func(name string, data []byte) response {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			fw, _ := w.CreateFormFile("file", name)
			fw.Write(data)
			w.Close()
			req, _ := http.NewRequest("POST", e.srv.URL+"/widget/v1/uploads?visitor_token="+vt, &buf)
			req.Header.Set("Content-Type", w.FormDataContentType())
			req.Header.Set("Origin", "https://shop.example.com")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out response
			out.status = resp.StatusCode
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			out.raw = b.Bytes()
			_ = jsonUnmarshal(out.raw, &out.body)
			return out
		}
		if r := upload("virus.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")); r.status != 400 || r.errorField() != "file" {
			t.Fatalf("executable upload: %d %s", r.status, r.raw)
		}
		img := upload("photo.png", png)
		if img.status != 201 || str(img.body, "content_type") != "image/png" {
			t.Fatalf("image upload: %d %s", img.status, img.raw)
		}
		resp, err := http.Get(e.srv.URL + str(img.body, "url"))
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("download: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		if resp, _ := http.Get(e.srv.URL + "/files/" + str(img.body, "id") + "?exp=9999999999&sig=forged"); resp.StatusCode != 403 {
			t.Fatalf("forged link: %d", resp.StatusCode)
		}

		// An offline message needs a way back to the customer.
		if r := c.do("POST", "/widget/v1/offline", map[string]any{"visitor_token": vt, "text": "在吗"}, origin...); r.status != 400 || r.errorField() != "phone" {
			t.Fatalf("offline without contact: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/widget/v1/offline", map[string]any{"visitor_token": vt, "name": "李四", "phone": "13900139002", "text": "明天上午联系我"}, origin...)
		if r.status != 201 {
			t.Fatalf("offline: %d %s", r.status, r.raw)
		}
		convs, err := e.app.Inbox.ContactConversations(e.system(), known.ID)
		if err != nil || len(convs) != 1 || convs[0].LastMessage == nil || convs[0].LastMessage.Text != "明天上午联系我" {
			t.Fatalf("the offline message is not in the identified contact's conversation: %+v %v", convs, err)
		}
	})
}
