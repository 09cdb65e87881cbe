/// The vocabularies and weights of the `events` workload, copied from `bench/gen_events.py`.
enum EventVocabulary {
    static let operatingSystems = [
        "Android 4.3.1", "Android 9", "Android 12", "Android 13", "Android 14", "iOS 15.7", "iOS 16.5", "iOS 17.1",
        "iPadOS 16.4", "Windows 10", "Windows 11", "Mac OS X 10.15.7", "macOS 13.4", "Ubuntu 22.04", "Chrome OS 114",
    ]
    static let operatingSystemWeights: [Double] = [1, 4, 8, 10, 8, 3, 10, 12, 2, 10, 9, 6, 5, 1, 1]
    static let browsers = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "app"]
    static let pages = [
        "/", "/pricing", "/features", "/blog", "/blog/heart-health", "/signup", "/login", "/about", "/help",
        "/download", "/compare", "/reviews",
    ]
    /// The empty referrer means "no `referrer` key".
    static let referrers = [
        "", "https://www.google.com/", "https://www.bing.com/", "https://t.co/", "https://www.facebook.com/",
        "https://news.ycombinator.com/", "direct",
    ]
    static let countries = ["US", "GB", "DE", "FR", "IN", "BR", "CA", "AU", "NL", "SE", "JP", "ES"]
    static let plans = ["free", "trial", "basic", "premium"]
    static let emailDomains = [
        "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "hotmail.com", "example.org",
    ]
    static let deviceModels = ["scale-s1", "scale-s2", "band-b3", "watch-w1", "manual"]
    static let letters: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
}
