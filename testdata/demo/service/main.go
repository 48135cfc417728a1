// Command shop serves the order API of a small web shop.
package main

import (
	"log"
	"net/http"
	"os"

	"example.com/shop/internal/orders"
)

func main() {
	addr := os.Getenv("SHOP_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	h := orders.NewHandler(orders.NewStore(orders.SeedOrders()...), orders.DefaultDiscounts())
	log.Printf("shop: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, h))
}
