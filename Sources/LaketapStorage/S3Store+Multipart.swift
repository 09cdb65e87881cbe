import Logging
import NIOHTTP1

extension S3Store {
    /// S3 accepts at most this many parts in one upload.
    static let maximumPartCount = 10_000

    /// Uploads a file as CreateMultipartUpload, UploadPart × n (one part in memory at a time),
    /// CompleteMultipartUpload (with `If-None-Match: *` when `ifAbsent`); aborts on any failure.
    func multipartUpload(
        _ objectKey: String,
        key: String,
        path: String,
        size: Int64,
        options: PutOptions
    ) async throws(StoreError) -> PutOutcome {
        let partSize = Self.partSize(for: size, configured: self.configuration.partSize)
        let create = S3Request(
            method: .POST,
            objectKey: objectKey,
            query: [("uploads", "")],
            headers: self.writeHeaders(options)
        )
        let created = try await self.send(create, key: key)
        guard created.status == 200 else { throw self.error(for: created, key: key, action: "CreateMultipartUpload") }
        guard let uploadID = S3XML(created.body).value("UploadId"), !uploadID.isEmpty else {
            throw StoreError(.other, key: key, "CreateMultipartUpload: no UploadId in the answer")
        }
        do throws(StoreError) {
            var etags: [String] = []
            var offset: Int64 = 0
            while offset < size {
                let count = Int(min(Int64(partSize), size - offset))
                let bytes = try await Self.read(path, count: count, at: offset, key: key)
                let partNumber = etags.count + 1
                let upload = S3Request(
                    method: .PUT,
                    objectKey: objectKey,
                    query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
                    body: bytes
                )
                let uploaded = try await self.send(upload, key: key)
                guard uploaded.status == 200, let etag = uploaded.headers.first(name: "etag") else {
                    throw self.error(for: uploaded, key: key, action: "UploadPart \(partNumber)")
                }
                etags.append(etag)
                offset += Int64(count)
            }
            return try await self.completeMultipartUpload(
                objectKey,
                key: key,
                uploadID: uploadID,
                etags: etags,
                ifAbsent: options.ifAbsent
            )
        } catch {
            await self.abortMultipartUpload(objectKey, key: key, uploadID: uploadID)
            throw error
        }
    }

    private func completeMultipartUpload(
        _ objectKey: String,
        key: String,
        uploadID: String,
        etags: [String],
        ifAbsent: Bool
    ) async throws(StoreError) -> PutOutcome {
        var document = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        var headers = [("content-type", "application/xml")]
        if ifAbsent { headers.append(("if-none-match", "*")) }
        var complete = S3Request(
            method: .POST,
            objectKey: objectKey,
            query: [("uploadId", uploadID)],
            headers: headers,
            body: Array(document.utf8)
        )
        complete.errorMayComeWithSuccess = true
        let response = try await self.send(complete, key: key)
        switch response.status {
        case 200:
            return .created
        case 412 where ifAbsent:
            await self.abortMultipartUpload(objectKey, key: key, uploadID: uploadID)
            return .alreadyExists
        default:
            throw self.error(for: response, key: key, action: "CompleteMultipartUpload")
        }
    }

    /// Best effort: a failure leaves an incomplete upload for the bucket's lifecycle rule to remove.
    private func abortMultipartUpload(_ objectKey: String, key: String, uploadID: String) async {
        let abort = S3Request(method: .DELETE, objectKey: objectKey, query: [("uploadId", uploadID)])
        do throws(StoreError) {
            let response = try await self.send(abort, key: key)
            if !(200..<300).contains(response.status) && response.status != 404 {
                throw self.error(for: response, key: key, action: "AbortMultipartUpload")
            }
        } catch {
            self.logger.debug(
                "cannot abort multipart upload",
                metadata: ["laketap.store.upload": "\(uploadID)", "laketap.store.error": "\(error)"]
            )
        }
    }

    /// The configured part size, grown when the file would otherwise need more than 10 000 parts.
    static func partSize(for size: Int64, configured: Int) -> Int {
        let smallest = (size + Int64(Self.maximumPartCount) - 1) / Int64(Self.maximumPartCount)
        return max(configured, Int(smallest))
    }
}
