// Package ids keeps the owners of things, by id.
package ids

import "github.com/google/uuid"

// Owner owns things.
type Owner struct{ Name string }

// Registry maps ids to owners.
type Registry struct{ owners map[uuid.UUID]*Owner }

// NewRegistry returns a registry of the owners.
func NewRegistry(owners map[string]*Owner) *Registry {
	r := &Registry{owners: map[uuid.UUID]*Owner{}}
	for id, o := range owners {
		r.owners[uuid.MustParse(id)] = o
	}
	return r
}

// OwnerName returns the name of the owner of id, "" when nobody owns it.
func (r *Registry) OwnerName(id string) string {
	u, err := uuid.Parse(id)
	if err != nil {
		return ""
	}
	return r.owners[u].Name
}
