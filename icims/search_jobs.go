package icims

import (
	"context"
	"time"
)

// JobsUpdatedSince returns the ids of the jobs iCIMS changed at or after
// since, ascending, every page read. iCIMS compares update dates by the
// minute, so since is rounded down to its minute: a caller that keeps
// since as its watermark sees a change in the boundary minute again rather
// than missing it.
func (c *Client) JobsUpdatedSince(ctx context.Context, since time.Time) ([]SearchResult, error) {
	return c.Search(ctx, SearchJobs, SearchQuery{Filters: []SearchFilter{{
		Name: "job.updateddate", Value: []string{since.UTC().Format(DateTimeLayout)}, Operator: ">=",
	}}})
}

// JobsNotInFolders returns the ids of every job whose folder is none of
// folders (names or node ids), ascending, every page read: with the closed
// folders, the customer's open jobs. With no folders it returns every job.
func (c *Client) JobsNotInFolders(ctx context.Context, folders []string) ([]SearchResult, error) {
	// iCIMS wants at least one filter; every id is above zero.
	filters := []SearchFilter{{Name: "job.id", Value: []string{"0"}, Operator: ">"}}
	if len(folders) > 0 {
		filters = []SearchFilter{{Name: "job.folder", Value: folders, Operator: "!="}}
	}
	return c.Search(ctx, SearchJobs, SearchQuery{Filters: filters})
}
