package bot_test

import (
	"kefu/auth"
	"kefu/channel/webchat"
)

func authUser(email, role string) auth.NewUser {
	return auth.NewUser{Email: email, Name: "主管", Role: role, Password: "long enough password"}
}

func webchatPatch(botEnabled *bool) webchat.InboxPatch {
	return webchat.InboxPatch{BotEnabled: botEnabled}
}
