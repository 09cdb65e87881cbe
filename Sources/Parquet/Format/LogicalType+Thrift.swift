extension LogicalType: ThriftEncodable {
    func encodeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .string: writer.emptyStructField(1)
        case .map: writer.emptyStructField(2)
        case .list: writer.emptyStructField(3)
        case .enum: writer.emptyStructField(4)
        case .decimal(let scale, let precision):
            writer.beginStructField(5)
            writer.field(1, i32: scale)
            writer.field(2, i32: precision)
            writer.endStruct()
        case .date: writer.emptyStructField(6)
        case .time(let isAdjustedToUTC, let unit):
            writer.beginStructField(7)
            writer.field(1, bool: isAdjustedToUTC)
            writer.field(2, struct: unit)
            writer.endStruct()
        case .timestamp(let isAdjustedToUTC, let unit):
            writer.beginStructField(8)
            writer.field(1, bool: isAdjustedToUTC)
            writer.field(2, struct: unit)
            writer.endStruct()
        case .integer(let bitWidth, let isSigned):
            writer.beginStructField(10)
            writer.field(1, i8: bitWidth)
            writer.field(2, bool: isSigned)
            writer.endStruct()
        case .unknown: writer.emptyStructField(11)
        case .json: writer.emptyStructField(12)
        case .bson: writer.emptyStructField(13)
        case .uuid: writer.emptyStructField(14)
        case .float16: writer.emptyStructField(15)
        }
    }
}

extension TimeUnit: ThriftEncodable {
    func encodeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .millis: writer.emptyStructField(1)
        case .micros: writer.emptyStructField(2)
        case .nanos: writer.emptyStructField(3)
        }
    }
}
