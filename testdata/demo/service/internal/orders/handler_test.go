package orders

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serve sends one request to a Handler over the seed orders and default
// discounts, and returns the recorded response.
func serve(method, path, body string) *httptest.ResponseRecorder {
	h := NewHandler(NewStore(SeedOrders()...), DefaultDiscounts())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func TestGetOrder(t *testing.T) {
	tests := []struct {
		name string
		path string
		want int
	}{
		{name: "existing order", path: "/orders/42", want: http.StatusOK},
		{name: "missing order", path: "/orders/7", want: http.StatusNotFound},
		{name: "malformed id", path: "/orders/abc", want: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(http.MethodGet, tt.path, "")
			if got := rec.Code; got != tt.want {
				t.Errorf("GET %s: status = %d, want %d; body %s", tt.path, got, tt.want, rec.Body)
			}
		})
	}
}

func TestDiscountKnownCode(t *testing.T) {
	rec := serve(http.MethodPost, "/orders/42/discount", `{"code":"summer25"}`)
	if got, want := rec.Code, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d; body %s", got, want, rec.Body)
	}
	var got Order
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	if got.TotalCents != 9750 || got.DiscountCode != "SUMMER25" {
		t.Errorf("order = %+v, want total 9750 with code SUMMER25", got)
	}
}

func TestDiscountInvalidBody(t *testing.T) {
	rec := serve(http.MethodPost, "/orders/42/discount", `{"code":`)
	if got, want := rec.Code, http.StatusBadRequest; got != want {
		t.Errorf("status = %d, want %d; body %s", got, want, rec.Body)
	}
}
