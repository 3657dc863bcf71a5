package returns_test

import (
	"kefu"
	"kefu/auth"
)

func authUser(email string) auth.NewUser {
	return auth.NewUser{Email: email, Name: "主管", Role: kefu.RoleSupervisor, Password: "long enough password"}
}
