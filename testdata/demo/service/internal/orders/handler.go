// Package orders serves the shop's order API: reading orders and applying
// discount codes to them.
package orders

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"strings"
)

// Handler serves the order API.
type Handler struct {
	store     *Store
	discounts map[string]*Discount
	mux       *http.ServeMux
}

// NewHandler returns a Handler serving the orders in store and accepting
// the given discount codes.
func NewHandler(store *Store, discounts map[string]*Discount) *Handler {
	h := &Handler{store: store, discounts: discounts, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /orders/{id}", h.get)
	h.mux.HandleFunc("POST /orders/{id}/discount", h.discount)
	return h
}

// ServeHTTP routes the request to the matching endpoint.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// get answers the order named in the path.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	if order, ok := h.order(w, r); ok {
		writeJSON(w, http.StatusOK, order)
	}
}

// discountRequest is the body of POST /orders/{id}/discount.
type discountRequest struct {
	Code string `json:"code"`
}

// discount applies a discount code to an order and answers the repriced order.
func (h *Handler) discount(w http.ResponseWriter, r *http.Request) {
	order, ok := h.order(w, r)
	if !ok {
		return
	}
	var req discountRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid request body")
		return
	}
	code := strings.ToUpper(req.Code)
	d := h.discounts[code]
	order.TotalCents = applyDiscount(order.SubtotalCents, d)
	order.DiscountCode = code
	h.store.Save(order)
	writeJSON(w, http.StatusOK, order)
}

// order loads the order named in the path. When it cannot, it answers the
// error itself and reports false.
func (h *Handler) order(w http.ResponseWriter, r *http.Request) (Order, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "invalid order id")
		return Order{}, false
	}
	order, ok := h.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, "order not found")
		return Order{}, false
	}
	return order, true
}

// writeError answers status with a JSON error message.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeJSON answers status with v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("orders: write response: %v", err)
	}
}
