package org.elastichadoop.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Hadoop's {@code *-site.xml} files, both ways: the properties of an example, a site file of properties. */
final class SiteXml {
    private SiteXml() {
    }

    /** The properties of a site file, in order. */
    static Map<String, String> read(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList props = doc.getElementsByTagName("property");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            out.put(p.getElementsByTagName("name").item(0).getTextContent().trim(),
                    p.getElementsByTagName("value").item(0).getTextContent().trim());
        }
        return out;
    }

    static String of(Map<String, String> props) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        for (Map.Entry<String, String> e : props.entrySet()) {
            xml.append("  <property><name>").append(e.getKey()).append("</name><value>").append(e.getValue()).append("</value></property>\n");
        }
        return xml.append("</configuration>\n").toString();
    }

    /** {@code example}'s properties with {@code ours} replacing values it has (every key of ours must be in it), then {@code site}. */
    static Map<String, String> fromExample(Path example, Map<String, String> ours, Map<String, String> site) throws Exception {
        Map<String, String> props = read(example);
        for (Map.Entry<String, String> e : ours.entrySet()) {
            if (!props.containsKey(e.getKey())) throw new AssertionError(e.getKey() + " is not in " + example);
            props.put(e.getKey(), e.getValue());
        }
        props.putAll(site);
        return props;
    }
}
