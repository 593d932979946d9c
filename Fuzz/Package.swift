// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Regua's readers of untrusted input (issue 17, item 5).
//
// Kept out of the root package so that `swift build` and `swift test` there do not change;
// built by `make fuzz` with `-sanitize=fuzzer,address` and its own scratch path. Each
// executable is one libFuzzer binary: `LLVMFuzzerTestOneInput`, and a `<Target>_main` (the entry
// point SwiftPM links) that hands over to libFuzzer's driver.
let package = Package(
    name: "ReguaFuzz",
    dependencies: [.package(name: "Regua", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        // libFuzzer's driver behind the `<Target>_main` that SwiftPM links as the entry point.
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(
            name: "FuzzIngest",
            dependencies: ["FuzzSupport", "CFuzzDriver", .product(name: "Regua", package: "Regua")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzRuleBook",
            dependencies: ["FuzzSupport", "CFuzzDriver", .product(name: "Regua", package: "Regua")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzCNABReturn",
            dependencies: ["FuzzSupport", "CFuzzDriver", .product(name: "Regua", package: "Regua")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzFeedback",
            dependencies: ["FuzzSupport", "CFuzzDriver", .product(name: "Regua", package: "Regua")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v5]
)
