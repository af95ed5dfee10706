/// The parts a debt's balance is made of.
public enum BalanceComponent: String, CaseIterable, Codable, Sendable {
    case principal, interest, fees
}

/// An amount for each balance component, in minor units of one currency (signed).
public struct ComponentAmounts: Hashable, Sendable {
    /// Principal in minor units.
    public var principal: Int64
    /// Interest in minor units.
    public var interest: Int64
    /// Fees in minor units.
    public var fees: Int64

    /// Makes component amounts; all default to zero.
    public init(principal: Int64 = 0, interest: Int64 = 0, fees: Int64 = 0) {
        self.principal = principal
        self.interest = interest
        self.fees = fees
    }

    /// Zero in every component.
    public static let zero = ComponentAmounts()

    /// The sum of the components.
    public var total: Int64 { principal + interest + fees }

    /// The amount of one component.
    public subscript(component: BalanceComponent) -> Int64 {
        get {
            switch component {
            case .principal: principal
            case .interest: interest
            case .fees: fees
            }
        }
        set {
            switch component {
            case .principal: principal = newValue
            case .interest: interest = newValue
            case .fees: fees = newValue
            }
        }
    }

    /// Component-wise sum.
    public static func + (lhs: ComponentAmounts, rhs: ComponentAmounts) -> ComponentAmounts {
        ComponentAmounts(
            principal: lhs.principal + rhs.principal, interest: lhs.interest + rhs.interest, fees: lhs.fees + rhs.fees)
    }

    /// Component-wise negation.
    public static prefix func - (value: ComponentAmounts) -> ComponentAmounts {
        ComponentAmounts(principal: -value.principal, interest: -value.interest, fees: -value.fees)
    }
}
