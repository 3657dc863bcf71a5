package bot_test

import (
	"kefu"
	"kefu/auth"
	"kefu/channel/webchat"
)

// handoff returns the last handoff event of a timeline (routing adds its own after it).
func handoff(events []kefu.Event) kefu.Event {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == kefu.EventHandoff {
			return events[i]
		}
	}
	return kefu.Event{}
}

func authUser(email, role string) auth.NewUser {
	return auth.NewUser{Email: email, Name: "主管", Role: role, Password: "long enough password"}
}

func webchatPatch(botEnabled *bool) webchat.InboxPatch {
	return webchat.InboxPatch{BotEnabled: botEnabled}
}
