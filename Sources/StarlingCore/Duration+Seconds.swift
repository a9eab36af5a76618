extension Duration {
    /// The duration as fractional seconds, for arithmetic and JSON.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
