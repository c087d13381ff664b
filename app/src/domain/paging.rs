//! Where a page stands in a list paginated on the server: how many pages
//! there are and which way the pager may move. Written once here so that
//! every list (and its tests) counts pages the same way, including the
//! edge cases: an empty list still has one page, and a server that sends
//! a nonsensical `per_page` of 0 does not divide by zero.

/// A page of a list, from 0, among `pages` (at least 1), of `total` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePosition {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

impl PagePosition {
    /// The position of page `page` of a list of `total` lines, `per_page` a page.
    pub fn of(page: u64, per_page: u64, total: u64) -> PagePosition {
        PagePosition {
            page,
            pages: total.div_ceil(per_page.max(1)).max(1),
            total,
        }
    }

    /// Whether there is more than one page (a pager is then useful).
    pub fn has_several(self) -> bool {
        self.pages > 1
    }

    pub fn is_first(self) -> bool {
        self.page == 0
    }

    pub fn is_last(self) -> bool {
        self.page + 1 >= self.pages
    }

    /// The page before this one (the first stays the first).
    pub fn previous(self) -> u64 {
        self.page.saturating_sub(1)
    }

    /// The page after this one (the last stays the last).
    pub fn next(self) -> u64 {
        if self.is_last() {
            self.page
        } else {
            self.page + 1
        }
    }

    /// The page number people read, from 1.
    pub fn number(self) -> u64 {
        self.page + 1
    }
}

/// The *lignes par page* a user may choose (rule M1: 5 by default).
pub const PAGE_SIZES: [u64; 4] = [5, 10, 20, 50];

/// The lines per page to serve when `asked` was asked for: one of
/// [`PAGE_SIZES`] (the first for anything else, as the browser is not
/// trusted to ask for a reasonable page).
pub fn page_size(asked: u64) -> u64 {
    if PAGE_SIZES.contains(&asked) {
        asked
    } else {
        PAGE_SIZES[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_offered_page_sizes_are_served() {
        assert_eq!(page_size(20), 20);
        assert_eq!(page_size(0), 5);
        assert_eq!(page_size(7), 5);
        assert_eq!(page_size(u64::MAX), 5);
    }
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pages_are_rounded_up_and_never_fewer_than_one() {
        assert_eq!(PagePosition::of(0, 10, 0).pages, 1);
        assert_eq!(PagePosition::of(0, 10, 1).pages, 1);
        assert_eq!(PagePosition::of(0, 10, 10).pages, 1);
        assert_eq!(PagePosition::of(0, 10, 11).pages, 2);
        assert_eq!(PagePosition::of(0, 5, 23).pages, 5);
        assert_eq!(PagePosition::of(0, 0, 3).pages, 3);
    }

    #[test]
    fn a_single_page_needs_no_pager() {
        let only = PagePosition::of(0, 5, 5);
        assert!(!only.has_several());
        assert!(only.is_first() && only.is_last());
        assert!(PagePosition::of(0, 5, 6).has_several());
    }

    #[test]
    fn the_pager_moves_within_the_pages() {
        let first = PagePosition::of(0, 5, 12);
        assert_eq!((first.previous(), first.next()), (0, 1));
        assert!(first.is_first() && !first.is_last());
        let middle = PagePosition::of(1, 5, 12);
        assert_eq!((middle.previous(), middle.next()), (0, 2));
        assert!(!middle.is_first() && !middle.is_last());
        let last = PagePosition::of(2, 5, 12);
        assert_eq!((last.previous(), last.next()), (1, 2));
        assert!(last.is_last());
        assert_eq!(last.number(), 3);
    }

    #[test]
    fn a_page_past_the_end_is_last() {
        // After deletions the server may answer for a page that no longer exists.
        let beyond = PagePosition::of(4, 5, 12);
        assert!(beyond.is_last());
        assert_eq!(beyond.previous(), 3);
    }
}
