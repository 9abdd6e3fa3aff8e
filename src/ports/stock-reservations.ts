/** Units of one SKU set aside for one order. */
export interface Reservation {
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** Reserves catalog stock for orders and gives it back. */
export interface StockReservations {
  /**
   * Takes `quantity` units of the SKU out of stock for the order, only if that many are in stock (OutOfStockError
   * otherwise). Idempotent per (orderId, sku): returns false when this reservation already exists.
   */
  reserve(reservation: Reservation): Promise<boolean>;
  /** Puts back every unit reserved for the order and forgets the reservations; returns what it released. */
  releaseAll(orderId: string): Promise<Reservation[]>;
}
