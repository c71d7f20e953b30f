package routes

import "strconv"

const (
	catalog               = AdminPrefix + "/catalog"
	catalogNew            = AdminPrefix + "/catalog/new"
	catalogListsRefresh   = AdminPrefix + "/catalog/lists/refresh"
	catalogAccommodations = AdminPrefix + "/catalog/accommodations"
	catalogAccommodation  = AdminPrefix + "/catalog/accommodations/:id"
	catalogPackage        = AdminPrefix + "/catalog/:id"
	catalogEnable         = AdminPrefix + "/catalog/:id/enabled"
	catalogPreview        = AdminPrefix + "/catalog/:id/preview"
	catalogPreviewStep    = AdminPrefix + "/catalog/:id/preview/step/:n"
	catalogPreviewReview  = AdminPrefix + "/catalog/:id/preview/review"
	catalogPreviewDone    = AdminPrefix + "/catalog/:id/preview/done"
)

// CatalogList is the assessment catalog.
func CatalogList() string { return catalog }

// CatalogNew is the form for a new package.
func CatalogNew() string { return catalogNew }

// CatalogCreate is where the new package form posts.
func CatalogCreate() string { return catalog }

// CatalogListsRefresh reloads the tenant's iCIMS lists.
func CatalogListsRefresh() string { return catalogListsRefresh }

// CatalogAccommodationList is the candidates' accommodation requests.
func CatalogAccommodationList() string { return catalogAccommodations }

// CatalogAccommodationResolve answers one accommodation request.
func CatalogAccommodationResolve(requestID int64) string {
	return fill(catalogAccommodation, id(requestID))
}

// CatalogEdit is the form of one package.
func CatalogEdit(pkgID int64) string { return fill(catalogPackage, id(pkgID)) }

// CatalogUpdate is where a package's form posts.
func CatalogUpdate(pkgID int64) string { return fill(catalogPackage, id(pkgID)) }

// CatalogEnable turns a package on or off.
func CatalogEnable(pkgID int64) string { return fill(catalogEnable, id(pkgID)) }

// CatalogPreview is the welcome page of a package's preview.
func CatalogPreview(pkgID int64) string { return fill(catalogPreview, id(pkgID)) }

// CatalogPreviewStep is question page n of a package's preview.
func CatalogPreviewStep(pkgID int64, n int) string {
	return fill(catalogPreviewStep, id(pkgID), strconv.Itoa(n))
}

// CatalogPreviewReview is the review page of a package's preview.
func CatalogPreviewReview(pkgID int64) string { return fill(catalogPreviewReview, id(pkgID)) }

// CatalogPreviewDone is the thank-you page of a package's preview.
func CatalogPreviewDone(pkgID int64) string { return fill(catalogPreviewDone, id(pkgID)) }
