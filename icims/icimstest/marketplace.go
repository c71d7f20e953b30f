package icimstest

import (
	"net/http"
	"net/url"
)

// handleMarketplace lists the JobCannon app with an Install form per
// customer.
func (s *Sim) handleMarketplace(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	view := marketplaceView{Configured: s.vendorAuthz != "", Scopes: allScopes()}
	for _, id := range s.customerIDs {
		c := s.customers[id]
		view.Customers = append(view.Customers, customerOption{ID: c.id, Name: c.name, Region: c.region})
	}
	s.mu.Unlock()
	s.render(w, r, marketplacePage(view))
}

// handleMarketplaceInstall sends the admin to the vendor's authorize URL
// with the installing customer's id, as Install does in the Marketplace.
func (s *Sim) handleMarketplaceInstall(w http.ResponseWriter, r *http.Request) {
	cid := r.URL.Query().Get("customer_id")
	s.mu.Lock()
	known := s.customers[cid] != nil
	target := s.vendorAuthz
	s.mu.Unlock()
	if !known {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Install failed", "Choose a customer to install the app for."))
		return
	}
	u, err := url.Parse(target)
	if target == "" || err != nil {
		s.renderStatus(w, r, http.StatusServiceUnavailable, errorPage("Install failed", "The vendor's authorize URL is not configured."))
		return
	}
	http.Redirect(w, r, withQuery(u, url.Values{"customer_id": {cid}}), http.StatusFound)
}
