package e2e_test

import "kefu/channel/webchat"

func webchatPatch(botEnabled *bool) webchat.InboxPatch {
	return webchat.InboxPatch{BotEnabled: botEnabled}
}
