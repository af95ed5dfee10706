import Leaf
import LeafKit
import RecoupStore
import Vapor

/// What the staff pages need on every page, read from the request rather than from each page's context, so no
/// page can forget it: which section the page belongs to (`#currentPage()`, for `aria-current`), the signed-in
/// user's role (`#userRole()`, so an admin finds Clients and Users from any page) and email (`#userEmail()`, beside
/// Sign out), and the staff session's CSRF token (`#csrfToken()`, in every form a staff page posts). Each is "" for a
/// request without them. The portal and the sign-in page carry CSRF tokens of their own in their contexts.
enum Navigation {
    /// The header's section of a path: "dashboard", "debts", "queue", "runs", "outbox", "reports", "placements" (the
    /// agency's placed accounts and contracts), "remittances", "clients", "users", or "" for none.
    static func section(ofPath path: String) -> String {
        if path == "/" { return "dashboard" }
        for (prefix, section) in [
            ("/debts", "debts"), ("/queue", "queue"), ("/runs", "runs"), ("/outbox", "outbox"),
            ("/templates", "templates"), ("/reports", "reports"), ("/agency", "placements"),
            ("/remittances", "remittances"),
            ("/admin/clients", "clients"), ("/admin/users", "users"),
        ] where path == prefix || path.hasPrefix(prefix + "/") {
            return section
        }
        return ""
    }

    /// Registers the tags.
    static func register(on app: Application) {
        app.leaf.tags["currentPage"] = CurrentPageTag()
        app.leaf.tags["userRole"] = UserRoleTag()
        app.leaf.tags["userEmail"] = UserEmailTag()
        app.leaf.tags["csrfToken"] = CSRFTokenTag()
    }

    struct CurrentPageTag: LeafTag {
        func render(_ context: LeafContext) throws -> LeafData {
            .string(context.request.map { Navigation.section(ofPath: $0.url.path) } ?? "")
        }
    }

    struct UserRoleTag: LeafTag {
        func render(_ context: LeafContext) throws -> LeafData {
            .string(context.request?.recoupUser?.role.rawValue ?? "")
        }
    }

    struct UserEmailTag: LeafTag {
        func render(_ context: LeafContext) throws -> LeafData {
            .string(context.request?.recoupUser?.email ?? "")
        }
    }

    struct CSRFTokenTag: LeafTag {
        func render(_ context: LeafContext) throws -> LeafData {
            .string(context.request?.csrfToken ?? "")
        }
    }
}
