package e2e_test

import "kefu/store"

// storeAll is the visibility of someone who sees every conversation.
func storeAll() store.Visibility { return store.Visibility{All: true} }
