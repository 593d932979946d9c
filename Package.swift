// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Regua",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Regua", targets: ["Regua"]),
        .executable(name: "regua", targets: ["regua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The PostgreSQL ledger (`--state postgres://…`); only Ledger/Postgres/ imports it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The system libyaml (Debian libyaml-dev); only Rules/YAMLReader.swift imports it.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The system OpenSSL (Debian libssl-dev): STARTTLS of the SMTP client; only
        // Deliver/TCPConnection.swift imports it.
        .systemLibrary(
            name: "CLibSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // The system zlib (Debian zlib1g-dev): the PNG image data of the e-mails' QR codes; only
        // Support/Deflate.swift imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "Regua",
            dependencies: [
                "CLibYAML",
                "CLibSSL",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "regua",
            dependencies: [
                "Regua",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ReguaTests",
            dependencies: ["Regua", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
