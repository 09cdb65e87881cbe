import Testing

@testable import LaketapConvert

@Suite struct FixedBufferTests {
    @Test func elementsAreReadAndChangedInPlace() {
        let numbers = FixedBuffer(repeating: -1, count: 3)
        numbers[1] = 7
        #expect(numbers.indices.map { numbers[$0] } == [-1, 7, -1])

        let lists = FixedBuffer([[1], [2, 3]])
        lists[0].append(4)
        lists[1].removeFirst()
        #expect(lists.count == 2)
        #expect(lists[0] == [1, 4])
        #expect(lists[1] == [3])
    }
}
