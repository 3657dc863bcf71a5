package kefu

// Set copies *v into *dst when v is not nil: how a PATCH request's optional
// fields apply to an entity.
func Set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
