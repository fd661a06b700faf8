/// Reduces an inflected word to its stem with one of the published Snowball
/// algorithms, so that "interviews", "interviewing" and "interviewed" meet.
///
/// Input is one lower-cased word in Unicode NFC with its accents kept (the
/// Snowball algorithms read accented letters); output is the stem, still
/// accented. The engine folds diacritics after stemming.
public protocol Stemmer: Sendable {
    func stem(_ word: String) -> String
}
